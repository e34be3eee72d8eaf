-- 0005_upload_limits (PostgreSQL): the S3 endpoint counts a permit's open multipart uploads and the
-- bytes of their stored parts on every CreateMultipartUpload and UploadPart (docs/uploads.md,
-- Limits); this index finds a permit's open uploads without scanning every upload ever made.
CREATE INDEX multipart_open_by_key ON multipart_uploads(access_key_id) WHERE state = 'open';
