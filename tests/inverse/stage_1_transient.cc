// Stage 1 from transient scattered data through the library
// (add_mollified_equations() with snapshot times, mollifem/inverse/stage_1.h),
// for a model of the test's own with a strong form: transient heat
// u_t - div(k grad u) = f, whose equation error needs u (for the rate),
// grad u and lap u. Data: u = (1 + t)(x^2 + y^2)/4 + x + t y/2 at t = 0,
// 0.5, 1 on a 41 x 41 grid, k = 1 + x/2 + y/4, f from both. u is quadratic
// in space and linear in time, and k is in the parameter space (Q1), so the
// moment-corrected kernels (reproducing degree 3 in space) are exact in
// space and time, and stage 1 recovers
// k up to its tiny regularization: relative L2 error below 1e-6. The same
// snapshots without their rate (the steady call, one snapshot at a time)
// miss k by more than 10%. Bad calls (snapshots and times of different
// counts, a single snapshot, a model whose first operator is not the
// identity) throw with their message. Same on 1 and 2 ranks.

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>

#include <mollifem/inverse/equation_error.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/stage_1.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/base/exceptions.h>
#include <mollifem/models/model.h>

#include "../tests.h"

using namespace mollifem;

namespace
{
  double
  true_k(const Point<2> &p)
  {
    return 1. + p[0] / 2. + p[1] / 4.;
  }

  double
  exact_u(const Point<2> &p, const double t)
  {
    return (1. + t) * (p[0] * p[0] + p[1] * p[1]) / 4. + p[0] + t * p[1] / 2.;
  }

  double
  source(const Point<2> &p, const double t)
  {
    const double rate      = (p[0] * p[0] + p[1] * p[1]) / 4. + p[1] / 2.;
    const double laplacian = 1. + t;
    const double u_x       = (1. + t) * p[0] / 2. + 1.;
    const double u_y       = (1. + t) * p[1] / 2. + t / 2.;
    return rate - true_k(p) * laplacian - (u_x / 2. + u_y / 4.);
  }

  /// Transient heat with the source above; @p first_value: the operators of
  /// stage 1 begin with the identity (else with d/dx, which is wrong).
  class TransientHeat : public PointwiseModel<2, TransientHeat>
  {
  public:
    explicit TransientHeat(const bool first_value = true)
      : first_value(first_value)
    {}

    std::string
    name() const override
    {
      return "transient heat of the test";
    }
    std::vector<std::string>
    component_names() const override
    {
      return {"u"};
    }
    std::unique_ptr<FiniteElement<2>>
    make_finite_element() const override
    {
      return std::make_unique<FE_Q<2>>(1);
    }
    std::string
    coefficient_name() const override
    {
      return "k";
    }
    bool
    is_linear() const override
    {
      return true;
    }
    bool
    is_symmetric() const override
    {
      return true;
    }
    bool
    is_transient() const override
    {
      return true;
    }

    template <typename Number>
    void
    point_residual(const PointState<2, Number> &s,
                   PointResidual<2, Number> &   r) const
    {
      r.value[0] = -source(s.point, s.time);
      r.flux[0]  = s.coefficient * s.gradient[0];
    }

    // u_t - k lap u - grad k . grad u = f.
    std::vector<DifferentialOperator<2>>
    equation_error_operators() const override
    {
      std::vector<DifferentialOperator<2>> operators =
        DifferentialOperator<2>::gradient();
      operators.push_back(DifferentialOperator<2>::laplacian());
      if (first_value)
        operators.insert(operators.begin(), DifferentialOperator<2>::identity());
      return operators;
    }
    void
    equation_error(const Point<2> &           point,
                   const double               time,
                   const std::vector<double> &d,
                   const double               rate,
                   double &                   a,
                   Tensor<1, 2> &             b,
                   double &                   g) const override
    {
      a    = -d[3];
      b[0] = -d[1];
      b[1] = -d[2];
      g    = source(point, time) - rate;
    }

  private:
    const bool first_value;
  };
} // namespace



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  const std::vector<double>        times = {0., 0.5, 1.};
  const unsigned int               n     = 41;
  const double                     h     = 1. / (n - 1);
  std::vector<Point<2>>            points;
  std::vector<double>              volumes;
  std::vector<std::vector<double>> snapshots(times.size());
  for (unsigned int j = 0; j < n; ++j)
    for (unsigned int i = 0; i < n; ++i)
      {
        points.emplace_back(i * h, j * h);
        volumes.push_back(h * h * (i == 0 || i == n - 1 ? 0.5 : 1.) *
                          (j == 0 || j == n - 1 ? 0.5 : 1.));
        for (unsigned int s = 0; s < times.size(); ++s)
          snapshots[s].push_back(exact_u(points.back(), times[s]));
      }

  auto tria = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*tria, 0., 1.);
  tria->refine_global(3);
  const FE_Q<2>      fe(1);
  const MappingQ1<2> mapping;
  DoFHandler<2>      dofs(*tria);
  dofs.distribute_dofs(fe);
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(dofs, relevant);
  AffineConstraints<double> constraints(relevant);
  constraints.close();
  const QGauss<2>            quadrature(2);
  EquationError<2>::Settings settings;
  settings.gradient_regularization = 1e-12;
  settings.l2_regularization       = 1e-12;

  MollifierParameters mollifier;
  mollifier.kernel = "polynomial";
  mollifier.radius = {0.2};
  // Quadratics exactly for every operator, the value included (whose
  // automatic degree, 1, would bias the rate).
  mollifier.reproduction_degree = 3;
  const TransientHeat model;

  const auto error_of = [&](const LA::Vector &k) {
    LA::Vector k_ghosted(dofs.locally_owned_dofs(), relevant, MPI_COMM_WORLD);
    k_ghosted = k;
    return RecoveryScores::compute(dofs,
                                   k_ghosted,
                                   ScalarFunctionFromFunctionObject<2>(&true_k),
                                   mapping,
                                   quadrature)
      .relative_error;
  };

  {
    EquationError<2> stage_1(dofs, constraints, mapping, quadrature, settings);
    add_mollified_equations(
      model, mollifier, points, volumes, times, snapshots, stage_1);
    LA::Vector k;
    stage_1.solve(k);
    const double error = error_of(k);
    testing::log() << "transient data: relative L2 error of k below 1e-6: "
                   << testing::yes_no(error < 1e-6) << std::endl;
  }
  {
    EquationError<2> stage_1(dofs, constraints, mapping, quadrature, settings);
    for (const auto &snapshot : snapshots)
      add_mollified_equations(model, mollifier, points, volumes, snapshot, stage_1);
    LA::Vector k;
    stage_1.solve(k);
    testing::log() << "the same snapshots without their rate: relative L2 "
                      "error above 0.1: "
                   << testing::yes_no(error_of(k) > 0.1) << std::endl;
  }

  const auto expect_error = [&](const std::string &          what,
                                const TransientHeat &         m,
                                const std::vector<double> &   t,
                                const std::vector<std::vector<double>> &data) {
    EquationError<2> stage_1(dofs, constraints, mapping, quadrature, settings);
    try
      {
        add_mollified_equations(m, mollifier, points, volumes, t, data, stage_1);
        testing::log() << what << ": no error" << std::endl;
      }
    catch (const ExceptionBase &e)
      {
        testing::log() << what << ": " << user_message(e) << std::endl;
      }
  };
  expect_error("three snapshots, two times",
               model,
               {0., 1.},
               snapshots);
  expect_error("one snapshot", model, {0.}, {snapshots.front()});
  expect_error("first operator d/dx", TransientHeat(false), times, snapshots);
  return 0;
}
