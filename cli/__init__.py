"""The top layer: the `gongkai` command line and the orchestration of the stages.

Everything below it (gongkai core, crawler, extract, dataset, demo) is importable on its own; only this
package parses arguments, prints, reads environment variables and chooses exit codes.
"""
