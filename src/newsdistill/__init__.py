"""newsdistill: group breaking news into stories and distill each into a verified, cited digest."""

__version__ = "0.1.0"
