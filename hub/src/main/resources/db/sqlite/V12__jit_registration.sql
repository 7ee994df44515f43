-- Just-in-time registration (JITR, reference §2.2): the URL POSTed with each registration event of
-- a CA's device certificates; its answer may activate the certificate. NULL: no webhook, an
-- operator activates pending certificates.
ALTER TABLE ca_certificates ADD COLUMN jitr_webhook TEXT;
