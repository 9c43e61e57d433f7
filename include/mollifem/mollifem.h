#ifndef mollifem_mollifem_h
#define mollifem_mollifem_h

/**
 * @file
 * Everything a program that uses mollifem as a library needs, in one
 * include: models and the state solver, coefficient fields, observations,
 * the mollifier, both stages of the inversion, the optimizer, scores and
 * the Taylor test (doc/extending.md).
 */

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/data/noise.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/data/observations.h>
#include <mollifem/inverse/equation_error.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/inverse/regularization.h>
#include <mollifem/inverse/stage_1.h>
#include <mollifem/inverse/taylor_test.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/model.h>
#include <mollifem/models/state_solver.h>
#include <mollifem/mollifier/convolution_operator.h>

#endif
