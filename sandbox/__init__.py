"""Marketplace simulator: speaks each platform's protocol on loopback, for tests and the demo."""
