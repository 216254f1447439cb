"""Legal matters (法律事务): requests, working-day deadlines, opinions and their adoption."""
