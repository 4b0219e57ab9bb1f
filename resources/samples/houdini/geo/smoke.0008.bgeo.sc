rv_dcc sample placeholder: smoke simulation cache frame 8
file: smoke.0008.bgeo.sc
