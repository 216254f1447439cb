"""督察考评: assessment records, rankings and accountability."""
