rv_dcc sample placeholder: smoke simulation cache frame 4
file: smoke.0004.bgeo.sc
