"""CSAF 2.0 advisories (DESIGN §13): uploaded, posted or fetched from configured provider feeds,
validated, matched to suppliers' products and fourth parties, confirmed by a person, then a
rapid questionnaire to the matched relationships in one step."""
