"""Xinyong (信用): a public credit information platform for Chinese local governments."""
