"""Demo data: plausible stages, visits, participants and agreements, for trying and measuring."""
