import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { takeFirstScreen } from './lib/api';

// The first screen's data comes in the page (lib/api/firstscreen.ts).
const app = mount(App, { target: document.getElementById('app')!, props: { first: takeFirstScreen() } });

export default app;
