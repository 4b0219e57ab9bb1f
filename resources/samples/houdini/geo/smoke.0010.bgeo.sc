rv_dcc sample placeholder: smoke simulation cache frame 10
file: smoke.0010.bgeo.sc
