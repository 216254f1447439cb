"""admin_settings feature."""
