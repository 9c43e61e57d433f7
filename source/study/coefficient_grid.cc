#include <deal.II/base/utilities.h>

#include <mollifem/base/files.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/study/study.h>

#include <iomanip>
#include <limits>
#include <sstream>

namespace mollifem
{
  template <int dim>
  void
  Study<dim>::write_coefficient_grid(const DoFHandler<dim> &dof_handler,
                                     const LA::Vector &     field,
                                     const std::string &    name) const
  {
    const unsigned int n = output_parameters.coefficient_grid_points;
    if (n == 0 || dim > 2)
      return;

    const auto [lower, upper] = bounding_box(*triangulation);

    // Rows of constant y (x fastest), as gnuplot's pm3d reads them.
    std::vector<Point<dim>> points;
    const unsigned int      n_y = (dim == 2 ? n : 1);
    for (unsigned int j = 0; j < n_y; ++j)
      for (unsigned int i = 0; i < n; ++i)
        {
          Point<dim> p;
          p[0] = lower[0] + (upper[0] - lower[0]) * i / (n - 1.);
          if (dim == 2)
            p[1] = lower[1] + (upper[1] - lower[1]) * j / (n - 1.);
          points.push_back(p);
        }
    ObservationOperator<dim> sampler(points, communicator);
    sampler.reinit(*triangulation, solvers.front()->mapping());
    const std::vector<double> values = sampler.evaluate(dof_handler, field);
    std::vector<bool> found(points.size(), true);
    for (const unsigned int i : sampler.points_not_found())
      found[i] = false;

    if (Utilities::MPI::this_mpi_process(communicator) != 0)
      return;
    std::ostringstream out;
    out << std::setprecision(8) << "# " << (dim == 2 ? "x y " : "x ")
        << models.front()->coefficient_name() << " "
        << models.front()->coefficient_name() << "_true\n";
    for (unsigned int k = 0; k < points.size(); ++k)
      {
        if (dim == 2 && k > 0 && k % n == 0)
          out << '\n';
        for (unsigned int d = 0; d < dim; ++d)
          out << points[k][d] << ' ';
        if (found[k])
          out << values[k] << ' '
              << (truth_function ? truth_function->value(points[k]) :
                                   std::numeric_limits<double>::quiet_NaN());
        else
          out << "NaN NaN";
        out << '\n';
      }
    write_file_atomically(join_path(output_parameters.directory, name),
                          [&](std::ostream &file) { file << out.str(); });
  }



  template void
  Study<1>::write_coefficient_grid(const DoFHandler<1> &,
                                   const LA::Vector &,
                                   const std::string &) const;
  template void
  Study<2>::write_coefficient_grid(const DoFHandler<2> &,
                                   const LA::Vector &,
                                   const std::string &) const;
  template void
  Study<3>::write_coefficient_grid(const DoFHandler<3> &,
                                   const LA::Vector &,
                                   const std::string &) const;
} // namespace mollifem
