"""Advisor evaluation (双向考核): agencies evaluate their advisors; the pool review decides."""
