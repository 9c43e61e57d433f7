// Benchmark: derivatives of noisy data by the mollifier against repeated
// differentiation, and the cost of the mollifier operator.
//
//   bench_derivatives accuracy   table of errors and correlations
//   bench_derivatives scaling    set-up/apply time and memory vs cells
//
// Accuracy. The field u = sin(3x) cos(2y) + x exp(y) on (0,1)^2 is sampled
// on a 101 x 101 grid (an image) with Gaussian noise of relative level 0,
// 0.1%, 1%, 5% (sigma = level * RMS(u), fixed seed). Its Laplacian and
// bi-Laplacian are computed at every other grid point (51 x 51) by
//  - the mollifier on the scattered data (bump and polynomial kernels,
//    moment-corrected and plain), the radius delta chosen per row as the
//    one of a fixed set with the smallest interior error (an oracle choice:
//    the table says which);
//  - repeated differentiation with finite elements: Q1 on the grid, the
//    gradient L2-projected onto Q1, its divergence projected again (and for
//    the bi-Laplacian the whole once more);
//  - finite differences on the grid: the 5-point Laplacian, applied twice
//    for the bi-Laplacian (interior points only).
// Reported: relative L2 error and Pearson correlation against the exact
// derivative, over all evaluation points and over the interior ones
// (distance >= 0.1 from the boundary).
//
// Scaling. The mollifier operator for a Q1 field on uniformly refined
// meshes at fixed delta/h = 4, targets at the support points, outputs
// Laplacian and bi-Laplacian: set-up time, time of one application (median
// of 5), peak memory, and the fitted exponent of time against cells.

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>

#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/precondition.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/sparse_matrix.h>
#include <deal.II/lac/vector.h>

#include <deal.II/numerics/matrix_tools.h>
#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/run_summary.h>
#include <mollifem/data/noise.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/mollifier/convolution_operator.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

using namespace mollifem;

namespace
{
  double
  field(const Point<2> &p)
  {
    return std::sin(3 * p[0]) * std::cos(2 * p[1]) + p[0] * std::exp(p[1]);
  }

  double
  exact_laplacian(const Point<2> &p)
  {
    return -13 * std::sin(3 * p[0]) * std::cos(2 * p[1]) + p[0] * std::exp(p[1]);
  }

  double
  exact_bilaplacian(const Point<2> &p)
  {
    return 169 * std::sin(3 * p[0]) * std::cos(2 * p[1]) + p[0] * std::exp(p[1]);
  }

  constexpr unsigned int n_grid = 101; // data grid points per direction
  constexpr double       h_grid = 1. / (n_grid - 1);

  Point<2>
  grid_point(const unsigned int i, const unsigned int j)
  {
    return Point<2>(i * h_grid, j * h_grid);
  }

  /// Evaluation points: every other grid point, as grid indices.
  std::vector<std::pair<unsigned int, unsigned int>>
  evaluation_indices()
  {
    std::vector<std::pair<unsigned int, unsigned int>> result;
    for (unsigned int j = 0; j < n_grid; j += 2)
      for (unsigned int i = 0; i < n_grid; i += 2)
        result.emplace_back(i, j);
    return result;
  }

  bool
  is_interior(const Point<2> &p)
  {
    return p[0] >= 0.1 - 1e-12 && p[0] <= 0.9 + 1e-12 && p[1] >= 0.1 - 1e-12 &&
           p[1] <= 0.9 + 1e-12;
  }

  struct Score
  {
    double error       = std::numeric_limits<double>::quiet_NaN();
    double correlation = std::numeric_limits<double>::quiet_NaN();
  };

  /// Relative L2 error and Pearson correlation over the pairs given.
  Score
  score(const std::vector<double> &approximation, const std::vector<double> &exact)
  {
    Score result;
    if (exact.empty())
      return result;
    const double n  = exact.size();
    double       ma = 0., me = 0.;
    for (unsigned int k = 0; k < exact.size(); ++k)
      {
        ma += approximation[k] / n;
        me += exact[k] / n;
      }
    double difference = 0., norm = 0., saa = 0., see = 0., sae = 0.;
    for (unsigned int k = 0; k < exact.size(); ++k)
      {
        difference += std::pow(approximation[k] - exact[k], 2);
        norm += exact[k] * exact[k];
        saa += std::pow(approximation[k] - ma, 2);
        see += std::pow(exact[k] - me, 2);
        sae += (approximation[k] - ma) * (exact[k] - me);
      }
    result.error       = std::sqrt(difference / norm);
    result.correlation = sae / std::sqrt(saa * see);
    return result;
  }

  /// Scores over all evaluation points and over the interior ones;
  /// NaN entries of @p values (not computable there) are left out.
  std::pair<Score, Score>
  scores(const std::vector<double> &values, const bool bilaplacian)
  {
    const auto          indices = evaluation_indices();
    std::vector<double> a_all, e_all, a_interior, e_interior;
    bool                complete = true;
    for (unsigned int k = 0; k < indices.size(); ++k)
      {
        const Point<2> p     = grid_point(indices[k].first, indices[k].second);
        const double   exact = bilaplacian ? exact_bilaplacian(p) : exact_laplacian(p);
        if (std::isnan(values[k]))
          {
            complete = false;
            continue;
          }
        a_all.push_back(values[k]);
        e_all.push_back(exact);
        if (is_interior(p))
          {
            a_interior.push_back(values[k]);
            e_interior.push_back(exact);
          }
      }
    return {complete ? score(a_all, e_all) : Score(), score(a_interior, e_interior)};
  }

  /// Finite differences on the grid: 5-point Laplacian, twice for the
  /// bi-Laplacian; NaN where the stencil leaves the grid.
  std::vector<double>
  finite_differences(const std::vector<double> &data, const bool bilaplacian)
  {
    const auto at = [&](const std::vector<double> &u, int i, int j) {
      return u[j * n_grid + i];
    };
    const double        nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> laplacian(n_grid * n_grid, nan);
    for (int j = 1; j + 1 < int(n_grid); ++j)
      for (int i = 1; i + 1 < int(n_grid); ++i)
        laplacian[j * n_grid + i] =
          (at(data, i + 1, j) + at(data, i - 1, j) + at(data, i, j + 1) +
           at(data, i, j - 1) - 4 * at(data, i, j)) /
          (h_grid * h_grid);
    std::vector<double> result = laplacian;
    if (bilaplacian)
      {
        std::fill(result.begin(), result.end(), nan);
        for (int j = 2; j + 2 < int(n_grid); ++j)
          for (int i = 2; i + 2 < int(n_grid); ++i)
            result[j * n_grid + i] =
              (at(laplacian, i + 1, j) + at(laplacian, i - 1, j) +
               at(laplacian, i, j + 1) + at(laplacian, i, j - 1) -
               4 * at(laplacian, i, j)) /
              (h_grid * h_grid);
      }
    std::vector<double> values;
    for (const auto &[i, j] : evaluation_indices())
      values.push_back(result[j * n_grid + i]);
    return values;
  }

  /**
   * Repeated differentiation with Q1 finite elements on the grid: L2
   * projections of the gradient and of its divergence.
   */
  class RecursiveFE
  {
  public:
    RecursiveFE()
      : fe(1)
      , dof_handler(tria)
    {
      GridGenerator::subdivided_hyper_cube(tria, n_grid - 1, 0., 1.);
      dof_handler.distribute_dofs(fe);
      DynamicSparsityPattern dsp(dof_handler.n_dofs());
      DoFTools::make_sparsity_pattern(dof_handler, dsp);
      pattern.copy_from(dsp);
      mass.reinit(pattern);
      MatrixTools::create_mass_matrix(dof_handler, QGauss<2>(2), mass);
      preconditioner.initialize(mass, 1.2);

      // DoF -> grid point.
      std::vector<Point<2>> support(dof_handler.n_dofs());
      DoFTools::map_dofs_to_support_points(MappingQ1<2>(), dof_handler, support);
      grid_of_dof.resize(dof_handler.n_dofs());
      for (unsigned int k = 0; k < support.size(); ++k)
        grid_of_dof[k] = std::lround(support[k][1] / h_grid) * n_grid +
                         std::lround(support[k][0] / h_grid);
    }

    std::vector<double>
    differentiate(const std::vector<double> &data, const bool bilaplacian)
    {
      Vector<double> u(dof_handler.n_dofs());
      for (unsigned int k = 0; k < u.size(); ++k)
        u[k] = data[grid_of_dof[k]];
      Vector<double> result = projected_laplacian(u);
      if (bilaplacian)
        result = projected_laplacian(result);
      std::vector<double> on_grid(n_grid * n_grid);
      for (unsigned int k = 0; k < result.size(); ++k)
        on_grid[grid_of_dof[k]] = result[k];
      std::vector<double> values;
      for (const auto &[i, j] : evaluation_indices())
        values.push_back(on_grid[j * n_grid + i]);
      return values;
    }

  private:
    /// P(div P(grad u)).
    Vector<double>
    projected_laplacian(const Vector<double> &u)
    {
      std::array<Vector<double>, 2> gradient;
      for (unsigned int c = 0; c < 2; ++c)
        gradient[c] = project([&](const FEValues<2> &fe_values,
                                  const unsigned int q,
                                  const std::vector<types::global_dof_index> &dofs) {
          double value = 0.;
          for (unsigned int i = 0; i < dofs.size(); ++i)
            value += u[dofs[i]] * fe_values.shape_grad(i, q)[c];
          return value;
        });
      return project([&](const FEValues<2> &fe_values,
                         const unsigned int q,
                         const std::vector<types::global_dof_index> &dofs) {
        double value = 0.;
        for (unsigned int i = 0; i < dofs.size(); ++i)
          for (unsigned int c = 0; c < 2; ++c)
            value += gradient[c][dofs[i]] * fe_values.shape_grad(i, q)[c];
        return value;
      });
    }

    /// The L2 projection onto Q1 of a function given at quadrature points.
    template <typename Integrand>
    Vector<double>
    project(const Integrand &integrand)
    {
      Vector<double>                       rhs(dof_handler.n_dofs());
      FEValues<2>                          fe_values(fe,
                                QGauss<2>(2),
                                update_values | update_gradients |
                                  update_JxW_values);
      std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          fe_values.reinit(cell);
          cell->get_dof_indices(dofs);
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              const double value = integrand(fe_values, q, dofs);
              for (unsigned int i = 0; i < dofs.size(); ++i)
                rhs[dofs[i]] +=
                  value * fe_values.shape_value(i, q) * fe_values.JxW(q);
            }
        }
      Vector<double>           solution(dof_handler.n_dofs());
      SolverControl            control(1000, 1e-14 * rhs.l2_norm());
      SolverCG<Vector<double>> cg(control);
      cg.solve(mass, solution, rhs, preconditioner);
      return solution;
    }

    Triangulation<2>          tria;
    FE_Q<2>                   fe;
    DoFHandler<2>             dof_handler;
    SparsityPattern           pattern;
    SparseMatrix<double>      mass;
    PreconditionSSOR<>        preconditioner;
    std::vector<unsigned int> grid_of_dof;
  };

  std::string
  format(const double value, const char *pattern = "%.3g")
  {
    if (std::isnan(value))
      return "n/a";
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), pattern, value);
    return buffer;
  }

  void
  accuracy()
  {
    const std::vector<double> levels = {0., 1e-3, 1e-2, 5e-2};
    std::vector<Point<2>>     data_points;
    std::vector<double>       weights;
    std::vector<std::vector<double>> clean(1);
    for (unsigned int j = 0; j < n_grid; ++j)
      for (unsigned int i = 0; i < n_grid; ++i)
        {
          data_points.push_back(grid_point(i, j));
          clean[0].push_back(field(data_points.back()));
          // Trapezoidal weights.
          weights.push_back(h_grid * h_grid * (i == 0 || i == n_grid - 1 ? 0.5 : 1.) *
                            (j == 0 || j == n_grid - 1 ? 0.5 : 1.));
        }
    std::vector<std::vector<double>> noisy;
    for (const double level : levels)
      {
        auto values = clean;
        if (level > 0)
          add_relative_noise(values, level, 7);
        noisy.push_back(values[0]);
      }

    std::vector<Point<2>> targets_points;
    for (const auto &[i, j] : evaluation_indices())
      targets_points.push_back(grid_point(i, j));
    auto tria = make_triangulation<2>(MPI_COMM_WORLD);
    GridGenerator::hyper_cube(*tria, 0., 1.);
    tria->refine_global(2);
    const Targets<2> targets =
      Targets<2>::at_points(targets_points, *tria, MappingQ1<2>());

    struct Row
    {
      std::string method;
      std::string delta;
      Score       all, interior;
    };
    // rows[noise][derivative]
    std::vector<std::array<std::vector<Row>, 2>> rows(levels.size());

    const std::vector<double> deltas = {0.06, 0.1, 0.15, 0.22, 0.32, 0.45};
    for (const std::string kernel : {"bump", "polynomial"})
      for (const bool corrected : {true, false})
        {
          // best[noise][derivative]
          std::vector<std::array<Row, 2>> best(levels.size());
          for (const double delta : deltas)
            {
              MollifierParameters parameters;
              parameters.kernel           = kernel;
              parameters.radius           = {delta};
              parameters.moment_corrected = corrected;
              ConvolutionOperator<2> convolution(
                parameters,
                {DifferentialOperator<2>::laplacian(),
                 DifferentialOperator<2>::bilaplacian()});
              try
                {
                  convolution.reinit(data_points, weights, targets);
                }
              catch (const std::exception &)
                {
                  // Too few points in a corner ball for the degree: this
                  // radius is not available to the moment-corrected kernel.
                  continue;
                }
              for (unsigned int n = 0; n < levels.size(); ++n)
                {
                  LA::Vector source(convolution.column_partitioning(), MPI_COMM_WORLD);
                  for (const auto k : convolution.column_partitioning())
                    source[k] = noisy[n][k];
                  source.compress(VectorOperation::insert);
                  for (unsigned int d = 0; d < 2; ++d)
                    {
                      LA::Vector result;
                      convolution.apply(d, source, result);
                      std::vector<double> values(targets_points.size());
                      for (const auto row : targets.locally_owned_rows)
                        values[row] = result[row];
                      Utilities::MPI::sum(values, MPI_COMM_WORLD, values);
                      const auto [all, interior] = scores(values, d == 1);
                      if (std::isnan(best[n][d].interior.error) ||
                          interior.error < best[n][d].interior.error)
                        best[n][d] = {"mollifier, " + kernel + ", " +
                                        (corrected ? "moment corrected" : "plain"),
                                      format(delta),
                                      all,
                                      interior};
                    }
                }
            }
          for (unsigned int n = 0; n < levels.size(); ++n)
            for (unsigned int d = 0; d < 2; ++d)
              rows[n][d].push_back(best[n][d]);
        }

    RecursiveFE recursive;
    for (unsigned int n = 0; n < levels.size(); ++n)
      for (unsigned int d = 0; d < 2; ++d)
        {
          const auto [all, interior] = scores(recursive.differentiate(noisy[n], d == 1), d == 1);
          rows[n][d].push_back({"recursive FE (Q1, projected gradient)", "-", all, interior});
          const auto [fd_all, fd_interior] = scores(finite_differences(noisy[n], d == 1), d == 1);
          rows[n][d].push_back({"finite differences (5-point, grid)", "-", fd_all, fd_interior});
        }

    std::cout << "| noise | derivative | method | delta | rel. L2 error, all | "
                 "correlation, all | rel. L2 error, interior | correlation, "
                 "interior |\n|---|---|---|---|---|---|---|---|\n";
    for (unsigned int n = 0; n < levels.size(); ++n)
      for (unsigned int d = 0; d < 2; ++d)
        for (const auto &row : rows[n][d])
          std::cout << "| " << format(100 * levels[n], "%.1f") << "% | "
                    << (d ? "bi-Laplacian" : "Laplacian") << " | " << row.method
                    << " | " << row.delta << " | " << format(row.all.error) << " | "
                    << format(row.all.correlation, "%.4f") << " | "
                    << format(row.interior.error) << " | "
                    << format(row.interior.correlation, "%.4f") << " |\n";

    std::cout << "\nVerdict (interior relative error; best mollifier row "
                 "against both baselines):\n\n";
    for (unsigned int n = 0; n < levels.size(); ++n)
      for (unsigned int d = 0; d < 2; ++d)
        {
          double mollifier = std::numeric_limits<double>::max();
          for (unsigned int k = 0; k < 4; ++k)
            mollifier = std::min(mollifier, rows[n][d][k].interior.error);
          const double baseline =
            std::min(rows[n][d][4].interior.error, rows[n][d][5].interior.error);
          std::cout << "- noise " << format(100 * levels[n], "%.1f") << "%, "
                    << (d ? "bi-Laplacian" : "Laplacian") << ": mollifier "
                    << format(mollifier) << ", best baseline " << format(baseline)
                    << ": mollifier " << (mollifier < baseline ? "wins" : "loses")
                    << "\n";
        }
  }

  double
  median(std::vector<double> values)
  {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  }

  void
  scaling()
  {
    // Every rank computes; rank 0 reports.
    ConditionalOStream out(std::cout,
                           Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0);
    out << "| refinement | cells | targets | nonzeros per output | "
                 "set-up [s] | apply, one output [s] | peak memory [MiB] | "
                 "above start [MiB] |\n|---|---|---|---|---|---|---|---|\n";
    const double startup = resident_memory_mib();
    std::vector<double> cells, setups, applies;
    for (unsigned int level = 5; level <= 8; ++level)
      {
        auto tria = make_triangulation<2>(MPI_COMM_WORLD);
        GridGenerator::hyper_cube(*tria, 0., 1.);
        tria->refine_global(level);
        const FE_Q<2>      fe(1);
        const MappingQ1<2> mapping;
        DoFHandler<2>      dof_handler(*tria);
        dof_handler.distribute_dofs(fe);
        const Targets<2> targets = Targets<2>::at_support_points(dof_handler, mapping);

        MollifierParameters parameters;
        parameters.bandwidth       = MollifierParameters::Bandwidth::cell_size;
        parameters.radius_in_cells = 4.;
        ConvolutionOperator<2> convolution(parameters,
                                           {DifferentialOperator<2>::laplacian(),
                                            DifferentialOperator<2>::bilaplacian()});
        Timer timer(MPI_COMM_WORLD, true);
        convolution.reinit(dof_handler, targets, mapping);
        timer.stop();
        const double setup = timer.wall_time();

        LA::Vector source(dof_handler.locally_owned_dofs(), MPI_COMM_WORLD);
        VectorTools::interpolate(mapping,
                                 dof_handler,
                                 ScalarFunctionFromFunctionObject<2>(&field),
                                 source);
        LA::Vector          result;
        std::vector<double> times;
        for (unsigned int k = 0; k < 5; ++k)
          {
            timer.restart();
            convolution.apply(1, source, result);
            timer.stop();
            times.push_back(timer.wall_time());
          }
        const double apply = median(times);
        const double peak  = Utilities::MPI::max(peak_memory_mib(), MPI_COMM_WORLD);
        cells.push_back(tria->n_global_active_cells());
        setups.push_back(setup);
        applies.push_back(apply);
        out << "| " << level << " | " << tria->n_global_active_cells() << " | "
                  << convolution.statistics().n_targets << " | "
                  << convolution.statistics().n_nonzeros << " | " << format(setup)
                  << " | " << format(apply) << " | " << format(peak, "%.0f")
                  << " | " << format(peak - startup, "%.0f") << " |\n";
      }
    const auto slope = [&](const std::vector<double> &y) {
      const unsigned int n = cells.size();
      double             mx = 0., my = 0.;
      for (unsigned int k = 0; k < n; ++k)
        {
          mx += std::log(cells[k]) / n;
          my += std::log(y[k]) / n;
        }
      double sxy = 0., sxx = 0.;
      for (unsigned int k = 0; k < n; ++k)
        {
          sxy += (std::log(cells[k]) - mx) * (std::log(y[k]) - my);
          sxx += std::pow(std::log(cells[k]) - mx, 2);
        }
      return sxy / sxx;
    };
    out << "\nFitted exponent (time ~ cells^p): set-up p = "
              << format(slope(setups), "%.2f") << ", apply p = "
              << format(slope(applies), "%.2f") << "\n";
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string part = argc > 1 ? argv[1] : "all";
  if (part != "accuracy" && part != "scaling" && part != "all")
    {
      std::cerr << "usage: bench_derivatives [accuracy|scaling|all]\n";
      return 2;
    }
  if (part == "accuracy" || part == "all")
    accuracy();
  if (part == "scaling" || part == "all")
    scaling();
}
