"""The webhook outbox projection (deliveries to send) and its view."""
