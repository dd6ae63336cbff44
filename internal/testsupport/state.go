package testsupport

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// IDsInStateFile returns the ids of the managed instances of resourceType
// in the Terraform state file at path, sorted. A missing or empty file
// (Terraform creates it empty when it takes the lock, before it records
// the first resource) has none.
func IDsInStateFile(path, resourceType string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(b) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st struct {
		Resources []struct {
			Mode, Type string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	var ids []string
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != resourceType {
			continue
		}
		for _, in := range r.Instances {
			ids = append(ids, fmt.Sprint(in.Attributes["id"]))
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// IDsInState returns the ids of the instances of resourceType in the root
// module of a terraform-plugin-testing state, sorted.
func IDsInState(s *terraform.State, resourceType string) []string {
	var ids []string
	for _, r := range s.RootModule().Resources {
		if r.Type == resourceType {
			ids = append(ids, r.Primary.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
