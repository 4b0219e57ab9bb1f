rv_dcc sample placeholder: smoke simulation cache frame 5
file: smoke.0005.bgeo.sc
