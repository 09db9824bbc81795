"""Kyodo (協働): the shared system of a network of civic-activity support centers."""
