"""Know the customers: RFM, CLV and churn, clusters, rule segments, lookalikes, exports."""
