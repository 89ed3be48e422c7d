"""The relationship dossier: one supplier relationship seen whole — intake and tier (suppliers),
assessments, findings and risk decisions (questionnaires), contracts and clauses (contracts) —
built from each app's selectors in the top layer, so no lower app reads a higher one."""
