rv_dcc sample placeholder: smoke simulation cache frame 9
file: smoke.0009.bgeo.sc
