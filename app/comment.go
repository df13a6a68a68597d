package app

// First comments in the outbox (backend/outbox/comment.go): a published
// post whose first comment failed stays in the outbox view with the
// comment's state and error (OutboxItem.CommentState, CommentError…), and
// these buttons act on the comment alone: the post is never sent again.

// RetryComment sends a failed first comment again, or one awaiting review
// after the user checked the network does not have it.
func (s *OutboxService) RetryComment(variantID int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.outbox.RetryComment(ctx, variantID)
}

// SkipComment gives up on a first comment (posted by hand, or not wanted).
func (s *OutboxService) SkipComment(variantID int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.outbox.SkipComment(ctx, variantID)
}
