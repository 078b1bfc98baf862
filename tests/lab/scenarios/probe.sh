#!/bin/sh
# A stand-in "extra binary" for the lab's self-test (run.sh --bin): prints its greeting.
echo "probe: ${LAB_GREETING:-none}"
