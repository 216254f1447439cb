"""人才库、律师事务所、法律顾问、单位与用户: the organisation registers."""
