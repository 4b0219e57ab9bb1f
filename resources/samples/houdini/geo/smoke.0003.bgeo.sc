rv_dcc sample placeholder: smoke simulation cache frame 3
file: smoke.0003.bgeo.sc
