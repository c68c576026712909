"""Pure domain code: no I/O, no SQL, no printing. Imports only `errors` from outside `domain`."""
