//go:build !unix

package main

import "os/exec"

// killGroupOnCancel leaves exec's default: the context kills Terraform alone.
func killGroupOnCancel(*exec.Cmd) {}
