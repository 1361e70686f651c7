"""What we tell people: the message feed, its texts, and the WeChat subscribe messages that copy it (the outbox)."""
