"""Pure model of the instancias, visits and their rules; standard library only."""
