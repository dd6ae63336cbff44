package main

import (
	"maps"
	"testing"
)

func TestQuietLogs(t *testing.T) {
	off := map[string]string{"TF_LOG_PROVIDER": "off", "TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off"}
	cases := []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{"nothing asked", []string{"HOME=/root", "PATH=/usr/bin", "TF_CLI_ARGS=-no-color"}, off},
		{"empty values ask nothing", []string{"TF_LOG=", "TF_LOG_PROVIDER="}, off},
		{"core logs only", []string{"TF_LOG_CORE=TRACE", "TF_LOG_PATH=/tmp/tf.log"}, off},
		{"TF_LOG", []string{"TF_LOG=TRACE"}, nil},
		{"TF_LOG json", []string{"TF_LOG=json"}, nil},
		{"provider logs", []string{"TF_LOG_PROVIDER=DEBUG"}, nil},
		{"this provider's logs", []string{"TF_LOG_PROVIDER_ENTRUPY=DEBUG"}, nil},
		{"SDK logs", []string{"TF_LOG_SDK=TRACE"}, nil},
		{"framework logs", []string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, nil},
		{"protocol logs", []string{"TF_LOG_SDK_PROTO=TRACE"}, nil},
		{"acceptance test log file", []string{"TF_ACC_LOG_PATH=/tmp/acc.log"}, nil},
		{"per-test log files", []string{"TF_LOG_PATH_MASK=/tmp/%s.log"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := quietLogs(tc.environ); !maps.Equal(got, tc.want) {
				t.Fatalf("quietLogs(%q) = %v, want %v", tc.environ, got, tc.want)
			}
		})
	}
}
