// The convolution operator gives the same numbers on any number of MPI
// ranks: on 1, 2 and 4 ranks (the .mpirun=N variants), the mollified value,
// gradient, Laplacian and bi-Laplacian at the support points of a
// distributed mesh with hanging nodes agree with a serial computation on
// rank 0, for a fixed and a cell-size bandwidth, and likewise for scattered
// point data. Kernel balls reach cells and points of other ranks.
//
// "Agree" means to 1e-12 of the size of the terms of the sums,
// ||W||_inf ||u||_inf: other ranks add the same terms in another order, and
// the derivative weights are large with both signs (for the bi-Laplacian
// the terms are about 1e4 times the result), so only the terms' size is a
// scale that round-off respects.

#include <deal.II/base/function.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/data/sampling.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/mollifier/convolution_operator.h>

#include "../tests.h"

#include <map>
#include <random>

using namespace mollifem;

template <int dim>
double
field(const Point<dim> &p)
{
  double value = 1.;
  for (unsigned int i = 0; i < dim; ++i)
    value *= std::sin(2. * p[i] + 0.3 * i);
  return value + p[0] * p[0];
}

template <int dim>
std::vector<DifferentialOperator<dim>>
outputs()
{
  std::vector<DifferentialOperator<dim>> result = {
    DifferentialOperator<dim>::identity()};
  for (const auto &d : DifferentialOperator<dim>::gradient())
    result.push_back(d);
  result.push_back(DifferentialOperator<dim>::laplacian());
  // The bi-Laplacian's moment problem in 3D (56 polynomials) is left to the
  // benchmarks.
  if (dim < 3)
    result.push_back(DifferentialOperator<dim>::bilaplacian());
  return result;
}

/// Point -> values of all outputs, gathered on rank 0 of @p communicator.
template <int dim>
using Results = std::map<std::vector<double>, std::vector<double>>;

/// Results and, per output, the size of the terms ||W||_inf ||u||_inf.
template <int dim>
using Scaled = std::pair<Results<dim>, std::vector<double>>;

template <int dim>
std::vector<double>
term_sizes(const ConvolutionOperator<dim> &convolution, const LA::Vector &source)
{
  std::vector<double> sizes;
  for (unsigned int o = 0; o < convolution.n_outputs(); ++o)
    sizes.push_back(convolution.matrix(o).linfty_norm() *
                    source.linfty_norm());
  return sizes;
}

template <int dim>
Results<dim>
gather(const Targets<dim> &                   targets,
       const std::vector<LA::Vector> &        values,
       const MPI_Comm                         communicator)
{
  std::vector<std::pair<std::vector<double>, std::vector<double>>> mine;
  unsigned int t = 0;
  for (const auto row : targets.locally_owned_rows)
    {
      std::vector<double> key(targets.points[t].begin_raw(),
                              targets.points[t].end_raw());
      for (auto &k : key)
        k = std::round(k * 1e9) / 1e9;
      std::vector<double> v;
      for (const auto &vector : values)
        v.push_back(vector[row]);
      mine.emplace_back(key, v);
      ++t;
    }
  Results<dim> all;
  for (const auto &part : Utilities::MPI::gather(communicator, mine))
    for (const auto &entry : part)
      all.insert(entry);
  return all;
}

/// The field on a mesh with hanging nodes, mollified at its support points.
template <int dim>
Scaled<dim>
mollify_field(const MPI_Comm communicator, const bool cell_size_bandwidth)
{
  auto tria = make_triangulation<dim>(communicator);
  GridGenerator::hyper_cube(*tria, 0., 1.);
  tria->refine_global(dim == 1 ? 5 : dim == 2 ? 3 : 2);
  for (const auto &cell : tria->active_cell_iterators())
    if (cell->center()[0] < 0.4)
      cell->set_refine_flag();
  tria->execute_coarsening_and_refinement();
  const FE_Q<dim>      fe(dim == 3 ? 1 : 2);
  const MappingQ1<dim> mapping;
  DoFHandler<dim>      dof_handler(*tria);
  dof_handler.distribute_dofs(fe);

  MollifierParameters parameters;
  parameters.radius = {dim == 3 ? 0.4 : 0.3};
  if (cell_size_bandwidth)
    {
      parameters.bandwidth       = MollifierParameters::Bandwidth::cell_size;
      parameters.radius_in_cells = 3.;
    }
  const Targets<dim> targets = Targets<dim>::at_support_points(dof_handler, mapping);
  ConvolutionOperator<dim> convolution(parameters, outputs<dim>());
  convolution.reinit(dof_handler, targets, mapping);

  LA::Vector source(dof_handler.locally_owned_dofs(), communicator);
  VectorTools::interpolate(mapping,
                           dof_handler,
                           ScalarFunctionFromFunctionObject<dim>(&field<dim>),
                           source);
  std::vector<LA::Vector> values(convolution.n_outputs());
  for (unsigned int o = 0; o < convolution.n_outputs(); ++o)
    convolution.apply(o, source, values[o]);
  return {gather(targets, values, communicator),
          term_sizes(convolution, source)};
}

/// Scattered data (random points with equal weights) mollified at a grid.
template <int dim>
Scaled<dim>
mollify_points(const MPI_Comm communicator)
{
  auto tria = make_triangulation<dim>(communicator);
  GridGenerator::hyper_cube(*tria, 0., 1.);
  tria->refine_global(2);
  const MappingQ1<dim> mapping;

  std::mt19937                           generator(3);
  std::uniform_real_distribution<double> uniform(0., 1.);
  const unsigned int      n = dim == 1 ? 200 : 2000;
  std::vector<Point<dim>> data_points(n);
  for (auto &p : data_points)
    for (unsigned int i = 0; i < dim; ++i)
      p[i] = uniform(generator);
  const std::vector<double> weights(n, 1. / n);

  std::vector<Point<dim>> grid;
  for (unsigned int k = 0; k < (dim == 1 ? 11u : 121u); ++k)
    {
      Point<dim> p;
      p[0] = (k % 11) / 10.;
      if (dim > 1)
        p[1] = (k / 11) / 10.;
      grid.push_back(p);
    }
  const Targets<dim> targets = Targets<dim>::at_points(grid, *tria, mapping);

  MollifierParameters parameters;
  parameters.radius = {0.35};
  std::vector<DifferentialOperator<dim>> first_two = {
    DifferentialOperator<dim>::identity(), DifferentialOperator<dim>::laplacian()};
  ConvolutionOperator<dim> convolution(parameters, first_two);
  convolution.reinit(data_points, weights, targets);

  LA::Vector source(convolution.column_partitioning(), communicator);
  for (const auto k : convolution.column_partitioning())
    source[k] = field(data_points[k]);
  source.compress(VectorOperation::insert);
  std::vector<LA::Vector> values(convolution.n_outputs());
  for (unsigned int o = 0; o < convolution.n_outputs(); ++o)
    convolution.apply(o, source, values[o]);
  const std::vector<double> sizes = term_sizes(convolution, source);

  // The one-shot application without the assembled operator: the same
  // numbers.
  std::vector<double> all_values;
  for (const auto &p : data_points)
    all_values.push_back(field(p));
  std::vector<std::vector<LA::Vector>> once;
  convolution.convolve(data_points, weights, targets, {all_values}, once);
  bool same = true;
  for (unsigned int o = 0; o < convolution.n_outputs(); ++o)
    for (const auto row : targets.locally_owned_rows)
      same &= std::abs(once[0][o][row] - values[o][row]) <= 1e-12 * sizes[o];
  same = Utilities::MPI::min(same ? 1 : 0, communicator) == 1;
  if (communicator == MPI_COMM_WORLD)
    testing::log() << dim << "D, scattered data, convolve() without assembly "
                   << "equals apply() (1e-12): " << testing::yes_no(same)
                   << '\n';

  return {gather(targets, values, communicator), sizes};
}

template <int dim>
void
compare(const std::string &name,
        const Scaled<dim> &distributed_results,
        const Scaled<dim> &serial_results)
{
  const Results<dim> &distributed = distributed_results.first;
  const Results<dim> &serial      = serial_results.first;
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    return;
  bool same_points = distributed.size() == serial.size();
  const std::vector<double> &sizes = serial_results.second;
  std::vector<double>        difference(sizes.size());
  for (const auto &[key, values] : serial)
    {
      const auto other = distributed.find(key);
      if (other == distributed.end())
        {
          same_points = false;
          continue;
        }
      for (unsigned int o = 0; o < values.size(); ++o)
        difference[o] =
          std::max(difference[o], std::abs(values[o] - other->second[o]));
    }
  bool same = same_points;
  for (unsigned int o = 0; o < sizes.size(); ++o)
    same &= difference[o] <= 1e-12 * sizes[o];
  testing::log() << dim << "D, " << name << ": " << serial.size()
                 << " targets, same as serial (1e-12): " << testing::yes_no(same)
                 << '\n';
}

template <int dim>
void
check()
{
  const bool root = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  for (const bool cell_size : {false, true})
    {
      const auto distributed = mollify_field<dim>(MPI_COMM_WORLD, cell_size);
      const auto serial = root ? mollify_field<dim>(MPI_COMM_SELF, cell_size) :
                                 Scaled<dim>();
      compare<dim>(cell_size ? "FE field, cell-size bandwidth" :
                               "FE field, fixed bandwidth",
                   distributed,
                   serial);
    }
  const auto distributed = mollify_points<dim>(MPI_COMM_WORLD);
  const auto serial = root ? mollify_points<dim>(MPI_COMM_SELF) : Scaled<dim>();
  compare<dim>("scattered data", distributed, serial);
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check<1>();
  check<2>();
  check<3>();
}
