"""Youthpass (DOMAIN D1, D2): projects with grant numbers, project editors, activities, participants (one by one or
from a spreadsheet), self-assessment of learning outcomes by competence framework, supervisor assessment,
finalisation, reminders (YANS-like) and the data handed to the documents/credentials layers for certificates."""
