"""Offline demo corpus for newsdistill: fictional articles, outlets, feeds and pages."""
