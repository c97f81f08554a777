"""Notifications: the e-mail outbox, delivery by a background task with retries, reminders."""
