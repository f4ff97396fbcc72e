"""Views: what a listing or report page shows, worked out from the model."""
