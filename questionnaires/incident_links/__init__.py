"""Where an incident in the chain (suppliers/incidents, one layer down) meets the
questionnaire app: a finding raised from a care organisation's copy of an incident."""
