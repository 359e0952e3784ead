#!/bin/sh
# no-cmocka.sh: stands in for the unit tests when configure found no cmocka.
echo "cmocka was not found by configure: the unit tests (tests/unit/) were not built."
echo "Install it (Debian: apt-get install libcmocka-dev), run ./configure again, then make check."
exit 77
