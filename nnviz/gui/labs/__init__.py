"""The lecture labs: single neuron, three-neuron traffic fit, parameter counter, 2-D playground."""
