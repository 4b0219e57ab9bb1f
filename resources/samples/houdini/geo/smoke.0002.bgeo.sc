rv_dcc sample placeholder: smoke simulation cache frame 2
file: smoke.0002.bgeo.sc
