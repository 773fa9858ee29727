"""Users, roles & permissions, sessions, API keys, MFA and the audit log."""
