package app

import (
	"reflect"
	"testing"
)

// The composer's account choice per client: all accounts until a choice is
// made, then the last choice (none included), kept in the workspace file.
func TestAccountChoiceRemembered(t *testing.T) {
	f := planFixture(t)
	ids, err := f.a.Clients.AccountChoice(f.sol.ID)
	if err != nil || len(ids) != 2 || (ids[0] != f.ig.ID && ids[1] != f.ig.ID) || (ids[0] != f.fb.ID && ids[1] != f.fb.ID) {
		t.Fatalf("default %v %v", ids, err)
	}
	if err := f.a.Clients.SetAccountChoice(f.sol.ID, []int64{f.fb.ID}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := f.a.Clients.AccountChoice(f.sol.ID); !reflect.DeepEqual(ids, []int64{f.fb.ID}) {
		t.Errorf("after a choice %v", ids)
	}
	if err := f.a.Clients.SetAccountChoice(f.sol.ID, []int64{}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := f.a.Clients.AccountChoice(f.sol.ID); len(ids) != 0 {
		t.Errorf("none chosen %v", ids)
	}
	if err := f.a.Clients.SetAccountChoice(f.sol.ID, []int64{f.lig.ID}); err == nil {
		t.Error("another client's account accepted")
	}
	if ids, _ := f.a.Clients.AccountChoice(f.luna.ID); !reflect.DeepEqual(ids, []int64{f.lig.ID}) {
		t.Errorf("other client %v", ids)
	}
}
