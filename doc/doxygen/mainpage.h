/**
 * @mainpage mollifem
 *
 * mollifem recovers hidden coefficient fields of PDEs (diffusivities,
 * reaction rates, forcings) from noisy observations, on deal.II. These pages
 * document the public headers; the user documentation is in the
 * repository's doc/ folder (README.md, doc/inverse.md, doc/mollifier.md,
 * doc/extending.md, doc/parameters.md).
 *
 * Where to start:
 * - a forward model: mollifem::Model and mollifem::PointwiseModel
 *   (mollifem/models/model.h), solved by mollifem::StateSolver;
 * - the unknown coefficient: mollifem::ParametricCoefficient and its
 *   FE, neural and hybrid fields (mollifem/coefficient/);
 * - the mollifier: mollifem::ConvolutionOperator
 *   (mollifem/mollifier/convolution_operator.h);
 * - stage 1: mollifem::EquationError; stage 2: mollifem::ReducedObjective,
 *   mollifem::Regularization and mollifem::Optimizer (mollifem/inverse/);
 * - the Taylor test of a new model: mollifem::taylor_remainders();
 * - the program: mollifem::run_driver() (mollifem/study/driver.h).
 */
