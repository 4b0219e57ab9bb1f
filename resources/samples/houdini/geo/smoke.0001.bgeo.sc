rv_dcc sample placeholder: smoke simulation cache frame 1
file: smoke.0001.bgeo.sc
