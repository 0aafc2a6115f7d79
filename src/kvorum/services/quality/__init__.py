"""Quality control: the rule language (collectors, conditions, actions) and, later, its evaluation."""
