-- Application files belong to the passport workflow module, which answers STATUS through a
-- service (module.Services); the SMS module keeps no stand-in for them.
DROP TABLE sms_applications;
