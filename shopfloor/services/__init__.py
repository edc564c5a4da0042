"""Shop-floor services: every state change of embroidery jobs and every scan action goes through here."""
