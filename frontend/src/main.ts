import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { settings, takeFirstScreen } from './lib/api';
import { todayIn } from './lib/calendar/dates';
import { clockFromPage } from './lib/clock';
import { firstFrame } from './lib/firstframe';
import { flagsRead } from './lib/remember';

// The first screen's data comes in the page (lib/api/firstscreen.ts); a
// kept first frame may already be painted in #app (lib/firstframe.ts).
const target = document.getElementById('app')!;
clockFromPage(document); // a page drawn as of another day (lib/clock.ts)
firstFrame(document, target, {
  save: settings.saveFirstFrame,
  forget: settings.forgetFirstFrame,
  done: settings.firstFrameDone,
  today: () => todayIn(),
  flags: () => flagsRead(),
});
const app = mount(App, { target, props: { first: takeFirstScreen() } });

export default app;
