"""What a scan's findings mean for a review: suppressions with reasons, and a baseline to diff."""
