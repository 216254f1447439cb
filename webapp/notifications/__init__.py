"""Reminders: the in-app notification centre (站内信), the calendar feed and e-mail."""
