"""Documents built from issued credentials: OB 3.0 AchievementCredential, EDC/ELM JSON-LD, Bitstring Status List."""
