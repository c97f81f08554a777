"""Accounts: the user (e-mail login, preferred language), sign-in flows through allauth, idle-session timeout."""
